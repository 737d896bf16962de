<?php

namespace App\Service;

use Symfony\Contracts\HttpClient\HttpClientInterface;

final class CardRenderer
{
    public function __construct(private HttpClientInterface $pictifyClient)
    {
    }

    public function render(string $html): string
    {
        return $this->pictifyClient->request('POST', '/image', ['json' => ['html' => $html]])->toArray()['url'];
    }
}
