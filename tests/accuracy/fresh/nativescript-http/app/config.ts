export const PICTIFY_KEY = 'pk_live_M1D3UmtZjIleqepllLBD0WP2NbWYxwwA';
export const MAPBOX_TOKEN = 'pk.eyJ1IjoiZHJnenl4YXciLCJhIjoiWVgxUWp0RnFGekhSTEtaZm5VV1d0enRiUSJ9.Rvdiou1mfAgJgJ8bY_L6R9';
export const BADGE_TEMPLATE = 'event-badge';
