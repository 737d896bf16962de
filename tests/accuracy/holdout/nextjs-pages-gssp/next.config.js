/** @type {import('next').NextConfig} */
module.exports = {
  reactStrictMode: true,
  env: {
    PICTIFY_PUBLIC_RENDER_KEY: 'pk_live_0K45CFFEMjZorESwtP9IaEt2if4wJYmd',
  },
};
