local c = 0
response = function(status, headers, body) if status ~= 200 and c < 2 then c = c + 1; print(status, body) end end
