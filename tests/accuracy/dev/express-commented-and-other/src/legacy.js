// Until 2024-05 the renderer used this key; it was revoked (INC-311).
// PICTIFY_API_KEY=pk_live_MgBT6lRPLCzUuP4AagHsWEqU8MtQAc6K
module.exports = {};
