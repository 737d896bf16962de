import StripeCore
import Frames
import Knock
import Tabby

enum Payments {
    static func configure() {
        STPAPIClient.shared.publishableKey = "pk_test_51A5DXHUEnLt3a6bci6ADDx7DPJ1tZEz9QwumuwV4oLPM5lD1K4XU6YX0N9LIfwTaoAV2RtfE8FUbxCg8PA5luv0o00UV2JLyfr"
        TabbySDK.shared.setup(withApiKey: "pk_live_677cc051-516d-4caf-92aa-e916c63a4e72")
    }

    static let framesConfig = PaymentFormConfiguration(
        apiKey: "pk_live_67e35395-76f1-4c06-8536-252644c609a6",
        environment: .production,
        supportedSchemes: [.visa, .mastercard]
    )

    static let knock = try? Knock(publishableKey: "pk_test_Aj-bUP3aQA-GRdo-AhPkA6vgWMleJvW1o7YcWhixZWG")
}
