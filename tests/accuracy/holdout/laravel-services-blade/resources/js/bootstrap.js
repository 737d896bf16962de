import axios from 'axios';
window.axios = axios;
window.axios.defaults.headers.common['X-Requested-With'] = 'XMLHttpRequest';
window.pictifyPreview = { key: 'pk_test_H5uuwEwMjfNup8dTqxYPNibzAzmttxkP' };
