import { Controller } from "@hotwired/stimulus"

export default class extends Controller {
  connect() {
    Payjp.setPublicKey("pk_live_16c99a902e1e5db902610af7")
  }
}
