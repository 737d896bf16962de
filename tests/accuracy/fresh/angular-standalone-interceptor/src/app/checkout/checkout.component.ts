import { Component, OnInit } from '@angular/core';
import { loadStripe, Stripe } from '@stripe/stripe-js';

@Component({
  selector: 'app-checkout',
  standalone: true,
  template: `<div id="card-element"></div>`,
})
export class CheckoutComponent implements OnInit {
  private stripe: Stripe | null = null;

  async ngOnInit() {
    this.stripe = await loadStripe('pk_live_51gPiRgPh7AkCaE9wuMwpnJEYzkIeqPmKHRwLEJ6DShZ1AgijKaEfOQi5jDlaXztJsCLncx8vPMTI441u5BP6jtH700Aeh7Mwpp');
  }
}
