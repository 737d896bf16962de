import 'package:flutter_paystack/flutter_paystack.dart';
import 'package:moyasar/moyasar.dart';

final plugin = PaystackPlugin();

Future<void> initPayments() async {
  await plugin.initialize(publicKey: 'pk_live_d23de7361ed040c533f22876260b8792bb7ae812');
}

final moyasarConfig = PaymentConfig(
  publishableApiKey: 'pk_test_McBMD4trCqhKkB5T3YJ5DDj7XvErYq2Y6NyhVnrP',
  amount: 25758,
  description: 'order #1324',
);
