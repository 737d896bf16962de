/** @type {import('next').NextConfig} */
const nextConfig = { images: { remotePatterns: [{ hostname: 'cdn.pictify.io' }] } };
export default nextConfig;
