class AppConfig {
  static const apiBase = 'https://menu.example.com';
  static const cardKey = 'pk_test_BxuTWrFOmhuMokG0wWpOXh8I2vXo38Nr';
}
