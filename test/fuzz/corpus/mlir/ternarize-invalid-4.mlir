// A dynamic size is printed as '?' in the expected shape.
func.func @values_shape_dynamic(%w: tensor<?x64xf32>) {
  // expected-error @+1 {{'tern.ternarize' op expects values of shape ?x64 (the input's shape), got 'tensor<4x65xi8>'}}
  %q, %s = tern.ternarize %w : tensor<?x64xf32> -> tensor<4x65xi8>, tensor<f32>
  return
}
