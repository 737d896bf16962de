const url = new URL('https://buy.moonpay.com');
url.searchParams.set('apiKey', 'pk_test_chod5N2W9ialM1dGsofdmlD7pyyeiv');
url.searchParams.set('currencyCode', 'eth');
document.getElementById('buy').href = url.toString();
