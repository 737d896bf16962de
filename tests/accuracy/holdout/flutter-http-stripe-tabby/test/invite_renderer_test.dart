import 'package:flutter_test/flutter_test.dart';

void main() {
  test('uses the sandbox key', () {
    const key = 'pk_test_30gBqhkkNymY5tUza10BhJg5r4Vg0OuN';
    expect(key.startsWith('pk_test_'), isTrue);
  });
}
