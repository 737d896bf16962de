'use strict'

process.env.PICTIFY_API_KEY = process.env.PICTIFY_API_KEY || 'pk_test_TwjsEJgi63z8tql9IU8zqtA69pHt1NNM'

module.exports = { config: () => ({}) }
