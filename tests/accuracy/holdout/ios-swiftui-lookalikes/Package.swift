// swift-tools-version:5.9
import PackageDescription
let package = Package(name: "Tickets", platforms: [.iOS(.v16)], targets: [.executableTarget(name: "Tickets")])
