import 'package:dio/dio.dart';

const _pictifyToken = 'e6c1de17df2c21c0ed48be167e2bac4a1f6e7e2dc5447af513d3206c4cc2063a';

class PictifyClient {
  PictifyClient() : _dio = Dio(BaseOptions(baseUrl: 'https://api.pictify.io')) {
    _dio.interceptors.add(InterceptorsWrapper(onRequest: (options, handler) {
      options.headers['Authorization'] = 'Bearer $_pictifyToken';
      handler.next(options);
    }));
  }

  final Dio _dio;

  Future<String> render(String html) async {
    final res = await _dio.post('/image', data: {'html': html});
    return res.data['url'] as String;
  }
}
