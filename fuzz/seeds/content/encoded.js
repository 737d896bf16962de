localStorage.setItem("k", atob("cGtfbGl2ZV9vdVRCdjNEM0kyUzA2MkFnd1RKVHdHQmg="));
const u = "https://example.com/?key=pk%5Ftest%5FIpbqYWKjio6mIZrx4O0lPDVF";
const e = "pk\u005flive\u005fouTBv3D3I2S062AgwTJTwGBh";
const c = "pk_live_ouTB" +
  "v3D3I2S062AgwTJTwGBh";
const s = String.fromCharCode(112,107,95,116,101,115,116,95,73,112,98,113,89,87,75,106,105,111,54,109,73,90,114,120,52,79,48,108,80,68,86,70);
