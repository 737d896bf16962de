import Foundation

struct RenderResponse: Decodable { let url: URL }

struct RenderClient {
    private let key = Bundle.main.object(forInfoDictionaryKey: "PictifyAPIKey") as? String ?? ""

    func render(html: String) async throws -> URL {
        var request = URLRequest(url: URL(string: "https://api.pictify.io/image")!)
        request.httpMethod = "POST"
        request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONEncoder().encode(["html": html])
        let (data, _) = try await URLSession.shared.data(for: request)
        return try JSONDecoder().decode(RenderResponse.self, from: data).url
    }
}
