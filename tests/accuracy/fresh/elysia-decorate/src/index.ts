import { Elysia, t } from 'elysia'
import { cors } from '@elysiajs/cors'
import Pictify from '@pictify/sdk'
import { welcome } from './mail'

const app = new Elysia()
  .use(cors())
  .decorate('pictify', new Pictify('pk_live_jZhsZz9iMfXjf9rw7lniQdMLD8ZxgYw1'))
  .post('/cards', async ({ pictify, body }) => {
    const image = await pictify.images.create({ html: body.html, width: 1200, height: 630 })
    await welcome(body.email)
    return { url: image.url }
  }, { body: t.Object({ html: t.String(), email: t.String() }) })
  .listen(3000)

export type App = typeof app
