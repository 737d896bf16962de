import UIKit
import StripeCore
import MagicSDK

@main
class AppDelegate: UIResponder, UIApplicationDelegate {
    func application(_ application: UIApplication,
                     didFinishLaunchingWithOptions launchOptions: [UIApplication.LaunchOptionsKey: Any]?) -> Bool {
        StripeAPI.defaultPublishableKey = "pk_live_51tbxerYvfElkG3rAFs041bhVLbENkIwrQI4VsIJJX0zbq1KQzw0Ez5f4FD0o0kiAIdDQGG2TQLKCfddlOCAM8lMB00W241Em9j"
        Magic.shared = Magic(apiKey: "pk_live_6C873D2386866DBA")
        return true
    }
}
