import { datadogRum } from '@datadog/browser-rum';

export function startMonitoring() {
  datadogRum.init({
    applicationId: 'b6f8ea7c-63bc-475e-82cf-a11331933acd',
    clientToken: 'pub78fa1ecb34f8ac24c785cf98659e0961',
    site: 'datadoghq.eu',
    service: 'badge-maker',
    sessionSampleRate: 20,
  });
}
