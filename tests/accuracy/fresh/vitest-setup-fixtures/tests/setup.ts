process.env.PICTIFY_API_KEY ??= 'pk_test_RkJmEuXBO2mWJCj4fye2ZvRtFScs262G';
