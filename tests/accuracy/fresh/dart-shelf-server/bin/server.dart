import 'dart:io';

import 'package:card_server/pictify.dart';
import 'package:shelf/shelf.dart';
import 'package:shelf/shelf_io.dart' as io;
import 'package:shelf_router/shelf_router.dart';

final stripeKey = Platform.environment['STRIPE_PUBLISHABLE_KEY'] ?? 'pk_test_51xkVuS42ByjlwRPCQknoaR7cuqZIiOPSyBfpTHATphG5r3lFcbYz8iMp3sQeFoPjDJ4CHqdwSJW2Ol5NSOZWWKtj00uG28o4Tn';

void main() async {
  final app = Router()
    ..post('/cards', (Request req) async => Response.ok(await renderCard(await req.readAsString())))
    ..get('/config', (Request req) => Response.ok('{"stripe":"$stripeKey"}'));
  await io.serve(app.call, InternetAddress.anyIPv4, int.parse(Platform.environment['PORT'] ?? '8080'));
}
