enum TapCheckout {
    // Tap Payments (tap.company) card SDK
    static let publicKey = "pk_live_jiChdmGdT1ig6ZWuV7TIKNWd"
}
