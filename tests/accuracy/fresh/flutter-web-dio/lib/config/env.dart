// Values passed with --dart-define at build time; the defaults are compiled in.
const pictifyPreviewKey = String.fromEnvironment('PICTIFY_KEY', defaultValue: 'pk_test_Dyn5RZ1FGItFSt3KcTuwJoaLNZszEo2m');
const apiBase = String.fromEnvironment('API_BASE', defaultValue: 'https://quotes.example.org');
const paymobPublicKey = 'egy_pk_test_dqJln0T0vFONLryH8yn5ucwalyDoG0np';
