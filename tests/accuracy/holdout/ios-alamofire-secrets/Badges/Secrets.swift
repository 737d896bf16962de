enum Secrets {
    static let pictify = "pk_live_irUiI7E2TTxXdvVO8KgFts01H9cLAKZ5"
    static let hypertrack = "pk_live_b5cea5e77c4004f6e3e331b805adc6b2eccbc526"
}
