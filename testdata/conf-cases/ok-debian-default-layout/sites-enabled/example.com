server {
	listen 127.0.0.1:18000;
	server_name example.com www.example.com;
	root html/example.com;
	index index.html;
	location / {
		try_files $uri $uri/ =404;
	}
}
