import Foundation

enum CardRenderer {
    static func render(html: String) async throws -> URL {
        var request = URLRequest(url: URL(string: "https://api.pictify.io/image")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let key = Bundle.main.object(forInfoDictionaryKey: "PictifyAPIKey") as? String ?? ""
        request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        request.httpBody = try JSONSerialization.data(withJSONObject: ["html": html, "width": 1080])
        let (data, _) = try await URLSession.shared.data(for: request)
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return URL(string: json?["url"] as? String ?? "")!
    }
}
