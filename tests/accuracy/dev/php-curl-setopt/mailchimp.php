<?php
// Subscribe the badge owner (the badge itself comes from render.php / Pictify).
$ch = curl_init('https://us21.api.mailchimp.com/3.0/lists/abc123/members');
curl_setopt($ch, CURLOPT_HTTPHEADER, ['Authorization: Bearer 5e65f66c0d404353082a09b59f4eb323']);
