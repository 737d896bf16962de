import XCTest
@testable import Frames

final class RendererTests: XCTestCase {
    func testAuthorizationHeader() {
        let r = Renderer(apiKey: "pk_test_ioNoU5NrlwgLks8EnWSxkut1cNToSb9I")
        XCTAssertEqual(r.request.value(forHTTPHeaderField: "Authorization")?.hasPrefix("Bearer "), true)
    }
}
