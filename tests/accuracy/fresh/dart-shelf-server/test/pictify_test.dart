import 'package:test/test.dart';

const sandboxKey = 'pk_test_PRMcviMJL3T9765rhic91q72Ob5oPFyf';

void main() {
  test('sandbox key has the test prefix', () {
    expect(sandboxKey.startsWith('pk_test_'), isTrue);
  });
}
