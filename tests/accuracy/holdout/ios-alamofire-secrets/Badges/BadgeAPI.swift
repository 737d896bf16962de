import Alamofire

struct BadgeAPI {
    func render(name: String, completion: @escaping (String?) -> Void) {
        let headers: HTTPHeaders = ["Authorization": "Bearer \(Secrets.pictify)"]
        AF.request("https://api.pictify.io/templates/badge/render", method: .post,
                   parameters: ["variables": ["name": name]], encoding: JSONEncoding.default, headers: headers)
            .responseDecodable(of: [String: [[String: String]]].self) { resp in
                completion(resp.value?["results"]?.first?["url"])
            }
    }
}
