param([Parameter(Mandatory)][string]$Version)

$token = '3e87ef74fe88f5f4f007ef44581c366455b346b87f9d0ece14a7f6d1df4783e0'
$headers = @{ Authorization = "Bearer $token"; 'Content-Type' = 'application/json' }
$body = @{ variables = @{ version = $Version } } | ConvertTo-Json
$result = Invoke-RestMethod -Method Post -Uri 'https://api.pictify.io/templates/release/render' -Headers $headers -Body $body
Write-Host "Release card: $($result.results[0].url)"
