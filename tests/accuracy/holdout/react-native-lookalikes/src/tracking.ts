import HyperTrack from 'hypertrack-sdk-react-native';

// Publishable key from dashboard.hypertrack.com/setup
export const HYPERTRACK_PUBLISHABLE_KEY = 'pk_live_9c49e423197ad71fc3766470eea01ad209a8a4c1';
export const startTracking = () => HyperTrack.setIsTracking(true);
