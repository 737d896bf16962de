export const RENDER_KEY = 'pk_test_iylguIZoKU9onYgDhCSp3Fqa48tww19M';
export const RENDER_TIMEOUT_MS = 20_000;
