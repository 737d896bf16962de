process.env.PICTIFY_API_KEY = "pk_test_nvMxqpiIDc3oBvxaoDqUyLu3LwdzOCh1";
