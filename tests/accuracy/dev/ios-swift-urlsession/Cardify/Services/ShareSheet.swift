import Foundation

struct ShareSheet {
    // TODO: move to the backend proxy (ticket IOS-212)
    static let renderKey = "pk_test_mGZ1D3QtihJR51ZBbfujbc1oMui1kG7l"
}
