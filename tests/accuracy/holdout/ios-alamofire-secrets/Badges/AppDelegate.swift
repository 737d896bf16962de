import UIKit
import HyperTrack

@main
final class AppDelegate: UIResponder, UIApplicationDelegate {
    func application(_ app: UIApplication, didFinishLaunchingWithOptions opts: [UIApplication.LaunchOptionsKey: Any]?) -> Bool {
        HyperTrack.initialize("pk_test_7d23296c08f5ff8f42115aa00c84ee47802cd4a4")
        return true
    }
}
