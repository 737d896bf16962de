import { AfterViewInit, Component } from '@angular/core';

declare const Moyasar: any;

@Component({ selector: 'app-checkout', template: '<div class="mysr-form"></div>' })
export class CheckoutComponent implements AfterViewInit {
  ngAfterViewInit() {
    Moyasar.init({
      element: '.mysr-form',
      amount: 4500,
      currency: 'SAR',
      description: 'Menu order',
      publishable_api_key: 'pk_live_9QsiGWtsbyy3rDVDa9X29Rx7KwAEmdzbtiIOTl9L',
      callback_url: 'https://menu.example.sa/thanks',
      methods: ['creditcard', 'applepay'],
    });
  }
}
