class Env {
  static const korapayPublicKey = 'pk_test_Vs4TUQsmZNYsxJQdeynnGnkot2EJ0pDYrwZcV1MF';
  static const apiBase = 'https://market.example.com/api';
}
