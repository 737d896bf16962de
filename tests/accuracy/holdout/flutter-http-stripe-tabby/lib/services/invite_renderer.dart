import 'dart:convert';
import 'package:http/http.dart' as http;

class InviteRenderer {
  static const _apiKey = 'pk_live_6I3kWZ5Wr8Y7dVDDWQgkHiSFIdf5HdJn';
  static final _endpoint = Uri.parse('https://api.pictify.io/templates/invite/render');

  Future<String> render(Map<String, String> vars) async {
    final res = await http.post(
      _endpoint,
      headers: {'Authorization': 'Bearer $_apiKey', 'Content-Type': 'application/json'},
      body: jsonEncode({'variables': vars}),
    );
    return (jsonDecode(res.body)['results'] as List).first['url'] as String;
  }
}
