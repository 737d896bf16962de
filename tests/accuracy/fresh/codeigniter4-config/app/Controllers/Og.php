<?php

namespace App\Controllers;

use GuzzleHttp\Client;

class Og extends BaseController
{
    public function show(string $slug)
    {
        $cfg = config('Pictify');
        $client = new Client(['base_uri' => $cfg->baseURI, 'timeout' => $cfg->timeout]);
        $res = $client->post('templates/og/render', [
            'headers' => ['Authorization' => 'Bearer ' . $cfg->apiKey],
            'json' => ['variables' => ['slug' => $slug]],
        ]);
        return redirect()->to(json_decode((string) $res->getBody(), true)['results'][0]['url']);
    }

    public function editor()
    {
        return view('editor', ['pictifyKey' => config('Pictify')->apiKey]);
    }
}
