import 'package:flutter/material.dart';
import 'package:flutter_stripe/flutter_stripe.dart';
import 'package:tabby_flutter_inapp_sdk/tabby_flutter_inapp_sdk.dart';

Future<void> main() async {
  WidgetsFlutterBinding.ensureInitialized();
  Stripe.publishableKey = 'pk_live_51SfQea8vQ2XBA7H5Fjwd28Rp9OteHnVItxnqE4B6EBJDTBr5b0PUn4nBw6gKFdCau0aWDVYLRZ0SaqYRAvdhBVS100HYiJPO5O';
  TabbySDK().setup(withApiKey: 'pk_test_4c27c807-fd26-459a-b286-e11810c039c6', environment: Environment.production);
  runApp(const MaterialApp(home: Scaffold(body: Center(child: Text('Invites')))));
}
