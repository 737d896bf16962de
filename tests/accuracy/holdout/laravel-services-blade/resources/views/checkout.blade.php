@extends('layouts.app')
@section('content')
<form id="form"><input id="email" type="email"><button>Pay</button></form>
<script src="https://js.lahza.io/inline.min.js"></script>
<script>
  document.getElementById('form').addEventListener('submit', function (e) {
    e.preventDefault();
    new LahzaPopup().newTransaction({
      key: 'pk_live_snG1Wl4jQ8Wvnc5FOWsG4fquXjm676T08',
      email: document.getElementById('email').value,
      amount: 1500,
      currency: 'USD',
    });
  });
</script>
@endsection
