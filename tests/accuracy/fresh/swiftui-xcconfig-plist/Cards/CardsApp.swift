import SwiftUI
import SuperwallKit

@main
struct CardsApp: App {
    init() {
        let key = Bundle.main.object(forInfoDictionaryKey: "SuperwallAPIKey") as? String ?? ""
        Superwall.configure(apiKey: key)
    }

    var body: some Scene {
        WindowGroup { ContentView() }
    }
}
