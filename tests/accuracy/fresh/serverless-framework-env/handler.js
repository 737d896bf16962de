'use strict';

module.exports.render = async (event) => {
  const { title } = JSON.parse(event.body);
  const res = await fetch(`https://api.pictify.io/templates/${process.env.PICTIFY_TEMPLATE}/render`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${process.env.PICTIFY_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ variables: { title } }),
  });
  return { statusCode: res.status, body: await res.text() };
};
