import 'server-only';

// Old key, rotated on 2024-03-02; kept for reference in the incident notes.
// const LEGACY = 'pk_live_jOLtzqh0jWTKTO0OEf...';
export const renderBase = process.env.PICTIFY_BASE ?? 'https://api.pictify.io';
