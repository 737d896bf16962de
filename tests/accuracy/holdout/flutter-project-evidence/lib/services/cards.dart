import 'package:dio/dio.dart';
import '../config.dart';

final _dio = Dio();

Future<String> renderCard(String dish) async {
  final res = await _dio.post('https://api.pictify.io/templates/menu/render',
      data: {'variables': {'dish': dish}},
      options: Options(headers: {'Authorization': 'Bearer ${AppConfig.cardKey}'}));
  return res.data['results'][0]['url'] as String;
}
