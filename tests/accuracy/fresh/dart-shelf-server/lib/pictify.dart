import 'dart:convert';

import 'package:http/http.dart' as http;

const _apiKey = 'pk_live_cNdo4UV4KLKngHAjTTFmobjgSimguJIi';

Future<String> renderCard(String html) async {
  final res = await http.post(
    Uri.parse('https://api.pictify.io/image'),
    headers: {'Authorization': 'Bearer $_apiKey', 'Content-Type': 'application/json'},
    body: jsonEncode({'html': html}),
  );
  return (jsonDecode(res.body) as Map<String, dynamic>)['url'] as String;
}
