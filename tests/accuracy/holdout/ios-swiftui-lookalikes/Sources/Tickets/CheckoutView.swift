import SwiftUI
import WebKit

struct CheckoutView: UIViewRepresentable {
    let amount: Int

    func makeUIView(context: Context) -> WKWebView {
        let web = WKWebView()
        let html = """
        <script src="https://korablobstorage.blob.core.windows.net/modal-bucket/korapay-collections.min.js"></script>
        <script>
          window.Korapay.initialize({
            key: "pk_live_Xigubl5UWB3cdlPHMiYHIQuHN5df7ARtHVbzrXm1",
            reference: "\(UUID().uuidString)",
            amount: \(amount),
            currency: "NGN"
          });
        </script>
        """
        web.loadHTMLString(html, baseURL: nil)
        return web
    }

    func updateUIView(_ uiView: WKWebView, context: Context) {}
}
