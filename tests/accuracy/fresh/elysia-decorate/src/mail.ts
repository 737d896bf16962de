import { CourierClient } from '@trycourier/courier'

const courier = new CourierClient({ authorizationToken: 'pk_test_FFBC7XRA2UUJOMDAIPJ76D3WGR3K' })

export const welcome = (email: string) =>
  courier.send({ message: { to: { email }, template: 'WELCOME' } })
