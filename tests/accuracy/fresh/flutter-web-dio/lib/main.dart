import 'package:flutter/material.dart';
import 'api/pictify_client.dart';

void main() => runApp(const QuoteCardsApp());

class QuoteCardsApp extends StatelessWidget {
  const QuoteCardsApp({super.key});

  @override
  Widget build(BuildContext context) => MaterialApp(home: Editor(client: PictifyClient()));
}
