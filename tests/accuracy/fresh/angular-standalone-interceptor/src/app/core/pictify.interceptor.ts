import { HttpInterceptorFn } from '@angular/common/http';

const PICTIFY_HOST = 'https://api.pictify.io';
const PICTIFY_TOKEN = 'FqmVVKnEduuYUzN4D8zCnuFHLNm6hjClydejMWUXSRK';

export const pictifyInterceptor: HttpInterceptorFn = (req, next) => {
  if (!req.url.startsWith(PICTIFY_HOST)) {
    return next(req);
  }
  return next(req.clone({ setHeaders: { Authorization: `Bearer ${PICTIFY_TOKEN}` } }));
};
