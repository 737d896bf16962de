import Foundation

enum Config {
    static let pictifyKey = "pk_live_mkkXzJ0d5ylKxWVE3UIUdF1FiHOsjYTF"
}
