import Foundation

struct Poster {
    private let client = PictifyClient(apiKey: "pk_live_V52F2vOfPhFGJ3dOJ8amqbCTPXsd6o6J")

    func make(title: String) async throws -> URL {
        try await client.render(template: "poster", variables: ["title": title])
    }
}
